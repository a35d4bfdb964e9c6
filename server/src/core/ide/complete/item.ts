/** A completion item: what to insert where (offsets into the file's text), and how to show it. */
export type CompletionKind = 'field' | 'value' | 'keyword' | 'snippet';

export interface CompletionItem {
  readonly label: string;
  readonly kind: CompletionKind;
  /** One line next to the label. */
  readonly detail?: string;
  /** Markdown. */
  readonly documentation?: string;
  readonly insertText: string;
  /** `snippet`: insertText uses the snippet syntax (`$0`, `${1|a,b|}`). */
  readonly format: 'plain' | 'snippet';
  /** What the item replaces: offsets into the file text, end exclusive, on the cursor's line. */
  readonly start: number;
  readonly end: number;
  /** Set when the replaced text starts with a quote: the label quoted the same way. */
  readonly filterText?: string;
  readonly sortText: string;
  /** Spans several lines with the indentation written out: to be inserted as is. */
  readonly multiline?: boolean;
  /** A value can be completed right after this item: ask the editor to suggest again. */
  readonly retrigger?: boolean;
}
