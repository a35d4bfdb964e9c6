/**
 * A small multi-file workspace for the hover, code-lens and LSP tests: two declared
 * namespaces (shop, monitoring) plus kube-system, Deployments and a StatefulSet with named
 * ports, Services whose targetPort is a name, an Ingress with two backends (one the
 * policies admit the ingress controller to, one they block), and policies with pod,
 * namespace and ipBlock peers, named and numeric ports, ingress and egress.
 */
export const WORKSPACE: Readonly<Record<string, string>> = {
  'namespaces.yaml': `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {team: shop}
---
apiVersion: v1
kind: Namespace
metadata:
  name: monitoring
  labels: {team: platform}
`,
  'shop/frontend.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: frontend
  namespace: shop
spec:
  selector: {matchLabels: {app: frontend}}
  template:
    metadata:
      labels:
        app: frontend
        tier: web
    spec:
      containers:
        - name: web
          image: web:1
          ports:
            - {name: http, containerPort: 8080}
---
apiVersion: v1
kind: Service
metadata:
  name: frontend
  namespace: shop
spec:
  selector: {app: frontend}
  ports:
    - {name: web, port: 80, targetPort: http}
`,
  'shop/backend.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: backend
  namespace: shop
spec:
  selector: {matchLabels: {app: backend}}
  template:
    metadata:
      labels: {app: backend, tier: api}
    spec:
      containers:
        - name: api
          image: api:1
          ports:
            - {name: api, containerPort: 9090}
            - {name: metrics, containerPort: 9102}
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: shop
spec:
  selector: {matchLabels: {app: db}}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
        - name: pg
          image: pg:16
          ports:
            - {name: pg, containerPort: 5432}
---
apiVersion: v1
kind: Service
metadata:
  name: backend
  namespace: shop
spec:
  selector: {app: backend}
  ports:
    - {name: http, port: 80, targetPort: api}
`,
  'monitoring/prometheus.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: prometheus
  namespace: monitoring
spec:
  selector: {matchLabels: {app.kubernetes.io/name: prometheus}}
  template:
    metadata:
      labels: {app.kubernetes.io/name: prometheus}
    spec:
      containers:
        - name: prom
          image: prom:2
          ports:
            - {name: web, containerPort: 9090}
`,
  'shop/ingress.yaml': `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
spec:
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: frontend
                port: {number: 80}
          - path: /api
            pathType: Prefix
            backend:
              service:
                name: backend
                port: {name: http}
`,
  'shop/policies.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: frontend-from-ingress
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: frontend}
  ingress:
    - from:
        - namespaceSelector:
            matchLabels: {kubernetes.io/metadata.name: ingress-nginx}
      ports:
        - port: http
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: backend-allow
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: backend}
  ingress:
    - from:
        - podSelector: {matchLabels: {app: frontend}}
        - namespaceSelector: {matchLabels: {team: platform}}
          podSelector: {matchLabels: {app.kubernetes.io/name: prometheus}}
      ports:
        - port: api
        - port: 9102
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: db-allow
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: db}
  policyTypes: [Ingress, Egress]
  ingress:
    - from:
        - podSelector: {matchLabels: {app: backend}}
      ports:
        - port: pg
        - port: 80
  egress:
    - to:
        - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}
      ports:
        - port: 443
        - port: pg
`,
  'shop/egress.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: backend-egress
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: backend}
  policyTypes: [Egress]
  egress:
    - to:
        - podSelector: {matchLabels: {app: db}}
      ports:
        - port: pg
    - to:
        - namespaceSelector: {}
          podSelector: {matchLabels: {k8s-app: kube-dns}}
      ports:
        - {protocol: UDP, port: 53}
`,
  'kube-system/coredns.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: coredns
  namespace: kube-system
spec:
  selector: {matchLabels: {k8s-app: kube-dns}}
  template:
    metadata:
      labels: {k8s-app: kube-dns}
    spec:
      containers:
        - name: coredns
          image: coredns:1.11
          ports:
            - {name: dns, containerPort: 53, protocol: UDP}
            - {name: dns-tcp, containerPort: 53}
`,
};

/** The workspace as core source files, named by `file:///ws/<path>` URIs (as the server names them). */
export function workspaceFiles(root = 'file:///ws/'): { path: string; text: string }[] {
  return Object.entries(WORKSPACE).map(([path, text]) => ({ path: root + path, text }));
}
