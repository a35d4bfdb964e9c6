/**
 * Just enough of a DOM to run the webviews' bundled scripts (dist/media/<view>/main.js)
 * under node:vm: elements and text nodes built by createElement/createTextNode, attributes,
 * classList, replaceChildren, closest and querySelectorAll for the selectors the scripts use
 * (`tag`, `[attr]`, `tag[attr]`), bubbling events, and an HTML serialisation to assert on.
 * There is no HTML parser at all: nothing can become markup but what the scripts build.
 */
import vm from 'node:vm';
import { readFileSync } from 'node:fs';

type Listener = (e: FakeEvent) => void;

export interface FakeEvent {
  readonly type: string;
  readonly target: FakeNode;
  readonly key?: string;
  readonly data?: unknown;
  defaultPrevented: boolean;
  preventDefault(): void;
}

abstract class Listening {
  private readonly listeners = new Map<string, Listener[]>();
  addEventListener(type: string, f: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), f]);
  }
  /** Calls this node's listeners (dispatch walks the ancestors). */
  notify(e: FakeEvent): void {
    for (const f of this.listeners.get(e.type) ?? []) f(e);
  }
}

export abstract class FakeNode extends Listening {
  abstract readonly nodeType: number;
  parentNode: FakeParent | null = null;
  get parentElement(): FakeElement | null {
    return this.parentNode instanceof FakeElement ? this.parentNode : null;
  }
  abstract get textContent(): string;
  abstract html(): string;
}

export class FakeText extends FakeNode {
  readonly nodeType = 3;
  constructor(readonly data: string) {
    super();
  }
  get textContent(): string {
    return this.data;
  }
  html(): string {
    return escape(this.data);
  }
}

abstract class FakeParent extends FakeNode {
  readonly childNodes: FakeNode[] = [];
  appendChild<T extends FakeNode>(child: T): T {
    if (child instanceof FakeFragment) {
      for (const c of child.childNodes.splice(0)) this.appendChild(c);
      return child;
    }
    child.parentNode = this;
    this.childNodes.push(child);
    return child;
  }
  replaceChildren(...children: FakeNode[]): void {
    for (const c of this.childNodes.splice(0)) c.parentNode = null;
    for (const c of children) this.appendChild(c);
  }
  get textContent(): string {
    return this.childNodes.map((c) => c.textContent).join('');
  }
  /** Elements below this one, in document order. */
  descendants(): FakeElement[] {
    return this.childNodes.flatMap((c) => (c instanceof FakeElement ? [c, ...c.descendants()] : []));
  }
  querySelectorAll(selector: string): FakeElement[] {
    return this.descendants().filter((e) => e.matches(selector));
  }
  /** The children serialised (what the script built inside this node). */
  childrenHtml(): string {
    return this.childNodes.map((c) => c.html()).join('');
  }
  querySelector(selector: string): FakeElement | null {
    return this.querySelectorAll(selector)[0] ?? null;
  }
}

export class FakeFragment extends FakeParent {
  readonly nodeType = 11;
  html(): string {
    return this.childNodes.map((c) => c.html()).join('');
  }
}

export class FakeElement extends FakeParent {
  readonly nodeType = 1;
  readonly attributes = new Map<string, string>();
  private typed: string | undefined;
  readonly classList = {
    add: (...names: string[]) => this.setClasses([...this.classes(), ...names]),
    remove: (...names: string[]) => this.setClasses(this.classes().filter((c) => !names.includes(c))),
    toggle: (name: string, force?: boolean) => {
      const on = force ?? !this.classes().includes(name);
      if (on) this.classList.add(name);
      else this.classList.remove(name);
      return on;
    },
    contains: (name: string) => this.classes().includes(name),
  };

  constructor(
    readonly localName: string,
    readonly namespaceURI: string,
  ) {
    super();
  }
  get tagName(): string {
    return this.namespaceURI === HTML_NS ? this.localName.toUpperCase() : this.localName;
  }
  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null;
  }
  setAttribute(name: string, value: string): void {
    this.attributes.set(name, String(value));
  }
  hasAttribute(name: string): boolean {
    return this.attributes.has(name);
  }
  get id(): string {
    return this.getAttribute('id') ?? '';
  }
  get className(): string {
    return this.getAttribute('class') ?? '';
  }
  set className(value: string) {
    this.setAttribute('class', value);
  }
  private classes(): string[] {
    return this.className.split(/\s+/).filter((c) => c !== '');
  }
  private setClasses(names: string[]): void {
    this.className = [...new Set(names)].join(' ');
  }
  /** An input's value: its `value` attribute until something is typed. */
  get value(): string {
    return this.typed ?? this.getAttribute('value') ?? '';
  }
  set value(v: string) {
    this.typed = v;
  }
  /** `tag`, `[attr]`, `tag[attr]`, `tag[attr][attr2]`. */
  matches(selector: string): boolean {
    const m = /^([a-zA-Z0-9]*)((?:\[[a-zA-Z-]+\])*)$/.exec(selector);
    if (!m) throw new Error(`fake-dom: unsupported selector ${selector}`);
    if (m[1] && m[1].toLowerCase() !== this.localName.toLowerCase()) return false;
    return [...m[2].matchAll(/\[([a-zA-Z-]+)\]/g)].every((a) => this.hasAttribute(a[1]));
  }
  closest(selector: string): FakeElement | null {
    return this.matches(selector) ? this : (this.parentElement?.closest(selector) ?? null);
  }
  /** Dispatches an event here; it bubbles to the ancestors and the document. */
  dispatch(type: string, init: { key?: string } = {}): FakeEvent {
    const e: FakeEvent = {
      type,
      target: this,
      ...init,
      defaultPrevented: false,
      preventDefault() {
        this.defaultPrevented = true;
      },
    };
    this.notify(e);
    for (let n = this.parentNode; n; n = n.parentNode) n.notify(e);
    return e;
  }
  html(): string {
    const attrs = [...this.attributes].map(([k, v]) => (v === '' ? ` ${k}` : ` ${k}="${escape(v)}"`)).join('');
    return `<${this.localName}${attrs}>${this.childNodes.map((c) => c.html()).join('')}</${this.localName}>`;
  }
}

export const HTML_NS = 'http://www.w3.org/1999/xhtml';

function escape(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** The document: `body` is the root the scripts fill; events bubble from it to the document. */
export class FakeDocument extends FakeParent {
  readonly nodeType = 9;
  readonly body = new FakeElement('body', HTML_NS);
  constructor() {
    super();
    this.appendChild(this.body);
  }
  createElement(tag: string): FakeElement {
    return new FakeElement(tag.toLowerCase(), HTML_NS);
  }
  createElementNS(ns: string, tag: string): FakeElement {
    return new FakeElement(tag, ns);
  }
  createTextNode(text: string): FakeText {
    return new FakeText(String(text));
  }
  createDocumentFragment(): FakeFragment {
    return new FakeFragment();
  }
  getElementById(id: string): FakeElement | null {
    return this.descendants().find((e) => e.id === id) ?? null;
  }
  html(): string {
    return this.body.html();
  }
}

/** What a page script posted, and how to talk to it. */
export interface LoadedPage {
  readonly document: FakeDocument;
  /** Messages the script posted to the extension (taken by {@link LoadedPage.take}). */
  take(): unknown[];
  /** Delivers a message from the extension to the script. */
  post(data: unknown): void;
}

/** Runs a bundled page script in a fresh fake DOM. */
export function loadPage(scriptPath: string): LoadedPage {
  const document = new FakeDocument();
  const windowListeners = new Map<string, Listener[]>();
  const posted: unknown[] = [];
  vm.runInNewContext(readFileSync(scriptPath, 'utf8'), {
    acquireVsCodeApi: () => ({ postMessage: (m: unknown) => posted.push(JSON.parse(JSON.stringify(m))), getState: () => undefined, setState: () => undefined }),
    document,
    window: { addEventListener: (type: string, f: Listener) => windowListeners.set(type, [...(windowListeners.get(type) ?? []), f]) },
    setTimeout,
    clearTimeout,
  });
  return {
    document,
    take: () => posted.splice(0),
    post: (data) => {
      // Structured clone, as postMessage does.
      const e = { type: 'message', data: structuredClone(data), target: document.body, defaultPrevented: false, preventDefault() {} };
      for (const f of windowListeners.get('message') ?? []) f(e);
    },
  };
}
