/** A small reachability answer for the view's tests: two namespaces, the ingress controller, the internet. */
import type { ReachEndpoint, ReachabilityResult } from '../../../server/src/protocol';
import { endpointFromId } from '../../../client/src/views/reachability/endpoints';

export const ep = (id: string, kind: ReachEndpoint['kind'] = 'workload'): ReachEndpoint => {
  const e = endpointFromId(id);
  return { ...e, kind, label: e.kind === 'workload' ? id.slice(id.indexOf('/') + 1) : e.label, location: kind === 'workload' ? { uri: `file:///ws/${id.split('/')[0]}.yaml`, line: 3 } : undefined };
};

export const MODEL: ReachabilityResult = {
  endpoints: [
    ep('shop/web[Deployment]'),
    ep('shop/backend[Deployment]'),
    ep('shop/db[StatefulSet]'),
    ep('monitoring/prometheus[Deployment]'),
    ep('0.0.0.0-255.255.255.255[External]', 'ip'),
    { id: '{ingress-controller}', label: 'ingress controller', kind: 'ingress-controller' },
  ],
  connections: [
    { src: '{ingress-controller}', dst: 'shop/web[Deployment]', conn: 'TCP 8080' },
    { src: 'shop/web[Deployment]', dst: 'shop/backend[Deployment]', conn: 'TCP 80,8080-8090,UDP 53' },
    { src: 'shop/backend[Deployment]', dst: 'shop/db[StatefulSet]', conn: 'TCP 5432' },
    { src: 'shop/backend[Deployment]', dst: 'shop/web[Deployment]', conn: 'SCTP 9000' },
    { src: 'monitoring/prometheus[Deployment]', dst: 'shop/db[StatefulSet]', conn: 'TCP 9187' },
    { src: 'shop/db[StatefulSet]', dst: '0.0.0.0-255.255.255.255[External]', conn: 'All Connections' },
    { src: 'shop/db[StatefulSet]', dst: 'shop/db[StatefulSet]', conn: 'All Connections' },
  ],
};
