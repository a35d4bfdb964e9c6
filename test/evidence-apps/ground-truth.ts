/**
 * The documented flows of six public demo applications: our own ground truth, written
 * from each project's architecture documents (not from the tool's output). Sources and
 * citations per flow: /work/helpers/research/real-repos.md §4, summarised in README.md
 * here. A flow is `src => dst : PROTO port`, ends as `netpol evidence` names them
 * (`ns/workload`, `{outside the cluster}`, `{ingress controller}`, `{cluster DNS}`), the
 * port being the destination pod's (the Service's targetPort).
 */
export interface App {
  readonly name: string;
  /** The folder of the manifests, from the repository root. */
  readonly dir: string;
  /** Only these files (relative to dir), when the folder holds more than the app. */
  readonly only?: RegExp;
  /** Apply each folder's kustomization `namespace:` to the objects without one (as `kubectl apply -k` does). */
  readonly kustomizeNamespaces?: boolean;
  readonly dnsBaseline?: boolean;
  readonly documented: readonly string[];
  /** Documented as NOT a flow: evidence for it would be wrong. */
  readonly nonFlows?: readonly string[];
}

const boutique = (src: string, dst: string, port: number) => `default/${src} => default/${dst} : TCP ${port}`;
const sock = (src: string, dst: string, port: number) => `sock-shop/${src} => sock-shop/${dst} : TCP ${port}`;

export const APPS: readonly App[] = [
  {
    name: 'Online Boutique',
    dir: 'test/real-repos/online-boutique/repo/kustomize/base',
    documented: [
      '{outside the cluster} => default/frontend : TCP 8080',
      boutique('loadgenerator', 'frontend', 8080),
      boutique('frontend', 'adservice', 9555),
      boutique('frontend', 'recommendationservice', 8080),
      boutique('frontend', 'productcatalogservice', 3550),
      boutique('frontend', 'cartservice', 7070),
      boutique('frontend', 'shippingservice', 50051),
      boutique('frontend', 'currencyservice', 7000),
      boutique('frontend', 'checkoutservice', 5050),
      boutique('recommendationservice', 'productcatalogservice', 3550),
      boutique('checkoutservice', 'productcatalogservice', 3550),
      boutique('checkoutservice', 'cartservice', 7070),
      boutique('checkoutservice', 'shippingservice', 50051),
      boutique('checkoutservice', 'currencyservice', 7000),
      boutique('checkoutservice', 'paymentservice', 50051),
      boutique('checkoutservice', 'emailservice', 8080),
      boutique('cartservice', 'redis-cart', 6379),
    ],
  },
  {
    name: 'Sock Shop',
    dir: 'test/real-repos/sock-shop/repo/deploy/kubernetes/manifests',
    documented: [
      '{outside the cluster} => sock-shop/front-end : TCP 8079',
      sock('front-end', 'catalogue', 80),
      sock('front-end', 'carts', 80),
      sock('front-end', 'orders', 80),
      sock('front-end', 'user', 80),
      sock('front-end', 'payment', 80),
      sock('orders', 'shipping', 80),
      sock('shipping', 'rabbitmq', 5672),
      sock('queue-master', 'rabbitmq', 5672),
      sock('orders', 'orders-db', 27017),
      sock('user', 'user-db', 27017),
      sock('catalogue', 'catalogue-db', 3306),
      sock('carts', 'carts-db', 27017),
      sock('orders', 'payment', 80),
      sock('orders', 'user', 80),
      sock('orders', 'carts', 80),
      sock('front-end', 'session-db', 6379),
    ],
  },
  {
    name: 'Voting App',
    dir: 'test/evidence-apps/voting-app/repo',
    documented: [
      '{outside the cluster} => default/vote : TCP 80',
      '{outside the cluster} => default/result : TCP 80',
      'default/vote => default/redis : TCP 6379',
      'default/worker => default/redis : TCP 6379',
      'default/worker => default/db : TCP 5432',
      'default/result => default/db : TCP 5432',
    ],
  },
  {
    name: 'Bookinfo',
    dir: 'test/evidence-apps/bookinfo/repo',
    documented: [
      '{ingress controller} => default/productpage-v1 : TCP 9080',
      'default/productpage-v1 => default/details-v1 : TCP 9080',
      'default/productpage-v1 => default/reviews-v1 : TCP 9080',
      'default/reviews-v2 => default/ratings-v1 : TCP 9080',
      'default/reviews-v3 => default/ratings-v1 : TCP 9080',
    ],
    nonFlows: ['default/reviews-v1 => default/ratings-v1 : TCP 9080'],
  },
  {
    name: 'AKS Store',
    dir: 'test/evidence-apps/aks-store/repo',
    documented: [
      '{outside the cluster} => default/store-front : TCP 8080',
      '{outside the cluster} => default/store-admin : TCP 8081',
      'default/store-front => default/order-service : TCP 3000',
      'default/store-front => default/product-service : TCP 3002',
      'default/store-admin => default/product-service : TCP 3002',
      'default/store-admin => default/makeline-service : TCP 3001',
      'default/store-admin => default/order-service : TCP 3000',
      'default/order-service => default/rabbitmq : TCP 5672',
      'default/makeline-service => default/rabbitmq : TCP 5672',
      'default/makeline-service => default/documentdb : TCP 10260',
      'default/virtual-customer => default/order-service : TCP 3000',
      'default/virtual-worker => default/makeline-service : TCP 3001',
      'default/ai-service => {outside the cluster} : TCP 443',
    ],
  },
  {
    name: 'AWS retail store (EKS workshop)',
    dir: 'test/real-repos/eks-workshop/repo/manifests/base-application',
    kustomizeNamespaces: true,
    dnsBaseline: true,
    documented: [
      'ui/ui => catalog/catalog : TCP 8080',
      'ui/ui => carts/carts : TCP 8080',
      'ui/ui => orders/orders : TCP 8080',
      'ui/ui => checkout/checkout : TCP 8080',
      'checkout/checkout => orders/orders : TCP 8080',
      'catalog/catalog => catalog/catalog-mysql : TCP 3306',
      'carts/carts => carts/carts-dynamodb : TCP 8000',
      'checkout/checkout => checkout/checkout-redis : TCP 6379',
      'orders/orders => orders/orders-postgresql : TCP 5432',
      'ui/ui => {cluster DNS} : UDP 53',
    ],
  },
];
