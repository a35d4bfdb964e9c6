/**
 * Service addresses in text: `svc`, `svc:port`, `svc.ns`, `svc.ns.svc`,
 * `svc.ns.svc.cluster.local` and URLs (`http://svc.ns:8080/path`). Pure string work:
 * what a name refers to is decided by the caller, who knows the Services.
 */

export interface AddressRef {
  /** The first label of the host: the Service's name. */
  readonly name: string;
  /** The namespace when the host says it (`svc.ns…`). */
  readonly namespace?: string;
  /** The port when written, else the scheme's default port when a scheme is written. */
  readonly port?: number;
  readonly portWritten: boolean;
  /** True when the form can only be an address (a URL, `host:port`, `….svc…`), not a word that happens to match. */
  readonly certain: boolean;
  /** The matched text. */
  readonly text: string;
}

/** The default ports of the schemes clients commonly use in connection strings. */
const SCHEME_PORTS: Readonly<Record<string, number>> = {
  http: 80,
  https: 443,
  ws: 80,
  wss: 443,
  grpc: 80,
  amqp: 5672,
  amqps: 5671,
  mongodb: 27017,
  redis: 6379,
  rediss: 6379,
  postgres: 5432,
  postgresql: 5432,
  mysql: 3306,
  nats: 4222,
  memcached: 11211,
  kafka: 9092,
};

const LABEL = '[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?';
// scheme://[user[:pass]@]host[:port] | host:port | host (dotted forms ending in .svc…)
const ADDRESS = new RegExp(`(?:([a-z][a-z0-9+.-]*)://(?:[^@/\\s"']*@)?)?(${LABEL}(?:\\.${LABEL})*)(?::(\\d{1,5}))?(?![-_a-z0-9]|\\.[a-z0-9])`, 'gi');

/**
 * Whether `text` may hold an address addressesIn marks certain: it has a scheme (`://`), a
 * port after a host or `.svc`. A test at memory speed, so that values by the hundred
 * thousand (a cluster dump's env) are not read as addresses one by one.
 */
export function mayHoldCertainAddress(text: string): boolean {
  return MAY_BE_CERTAIN.test(text);
}

const MAY_BE_CERTAIN = /:\/\/|[a-z0-9]:\d|\.svc/i;

/** `api.shop.svc`, `http://api.shop.svc.cluster.local:80`: the host says it is a Service (of a namespace the workspace may not know). */
export function isSvcAddress(text: string): boolean {
  return /\.svc([.:/]|$)/i.test(text.split('://').pop() ?? '');
}

/** Host names that are never a Service of the workspace. */
const NOT_SERVICES = new Set(['localhost']);

/**
 * The addresses in one value. A host with dots is read as `svc.ns[.svc[.domain]]` only
 * when its third label is `svc` or it has exactly two labels (the caller checks the
 * namespace exists); other dotted hosts are outside the cluster.
 */
export function addressesIn(text: string): AddressRef[] {
  if (text.length > 65536) text = text.slice(0, 65536);
  const out: AddressRef[] = [];
  ADDRESS.lastIndex = 0;
  for (let m = ADDRESS.exec(text); m; m = ADDRESS.exec(text)) {
    const [whole, scheme, hostRaw, portText] = m;
    // A match inside a longer word (`xsvc`) or after an `@`-less path segment is no host.
    const before = m.index > 0 ? text[m.index - 1] : '';
    if (/[-a-z0-9_.@/]/i.test(before) && !scheme) continue;
    const host = hostRaw.toLowerCase();
    if (NOT_SERVICES.has(host) || /^\d+(\.\d+)*$/.test(host)) continue;
    const labels = host.split('.');
    let namespace: string | undefined;
    if (labels.length >= 3 && labels[2] !== 'svc') continue;
    if (labels.length >= 2) namespace = labels[1];
    let port: number | undefined;
    if (portText !== undefined) {
      port = Number(portText);
      if (port < 1 || port > 65535) continue;
    } else if (scheme) port = SCHEME_PORTS[scheme.toLowerCase()];
    const certain = scheme !== undefined || portText !== undefined || labels.length >= 3;
    out.push({ name: labels[0], ...(namespace !== undefined ? { namespace } : {}), ...(port !== undefined ? { port } : {}), portWritten: portText !== undefined, certain, text: whole });
  }
  return out;
}

/** `ORDER_QUEUE_HOSTNAME` → `ORDER_QUEUE_`: the prefix that a sibling `…PORT` key shares. */
export function hostKeyPrefix(key: string): string | undefined {
  const m = /^(.*?)(HOST|HOSTNAME|ADDR|ADDRESS|SERVER|SERVICE|HOST_NAME)$/i.exec(key);
  return m ? m[1] : undefined;
}

/** Whitespace-separated words of a command line, for `nc -z rabbitmq 5672`. */
export function words(text: string): string[] {
  return text.split(/[\s"'`;|&()]+/).filter((w) => w.length > 0);
}
