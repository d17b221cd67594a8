import type {
  V1APIService,
  V1Ingress,
  V1PersistentVolumeClaim,
  V1Service,
} from '@kubernetes/client-node';
import { health, type ResourceHealth } from './health-status.ts';

export function serviceHealth(service: V1Service): ResourceHealth {
  if (service.spec?.type !== 'LoadBalancer') return health('Healthy');
  const ingress = service.status?.loadBalancer?.ingress ?? [];
  if (ingress.length > 0) return health('Healthy', `Load balancer at ${addresses(ingress)}`);
  return health('Progressing', 'Waiting for the load balancer to get an address');
}

export function ingressHealth(ingress: V1Ingress): ResourceHealth {
  const addressesGiven = ingress.status?.loadBalancer?.ingress ?? [];
  if (addressesGiven.length > 0)
    return health('Healthy', `Load balancer at ${addresses(addressesGiven)}`);
  return health('Progressing', 'Waiting for the ingress controller to publish an address');
}

function addresses(ingress: readonly { ip?: string; hostname?: string }[]): string {
  return ingress.map((entry) => entry.ip ?? entry.hostname ?? '').join(', ');
}

export function persistentVolumeClaimHealth(claim: V1PersistentVolumeClaim): ResourceHealth {
  switch (claim.status?.phase) {
    case 'Bound':
      return health('Healthy');
    case 'Pending':
      return health('Progressing', 'Waiting for the claim to be bound');
    case 'Lost':
      return health('Degraded', 'The claim lost its volume');
    default:
      return health(
        'Unknown',
        claim.status?.phase
          ? `Unknown claim phase "${claim.status.phase}"`
          : 'The claim reports no phase',
      );
  }
}

export function apiServiceHealth(apiService: V1APIService): ResourceHealth {
  const available = apiService.status?.conditions?.find(
    (condition) => condition.type === 'Available',
  );
  if (!available) return health('Progressing', 'Waiting to be processed');
  const message = `${available.reason ?? ''}: ${available.message ?? ''}`;
  return health(available.status === 'True' ? 'Healthy' : 'Progressing', message);
}
