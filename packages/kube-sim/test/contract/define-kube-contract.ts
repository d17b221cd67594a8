import { afterAll, beforeAll, describe } from 'vitest';
import { applyContract } from './apply-contract.ts';
import { ContractContext, type ContractTarget } from './contract-context.ts';
import { crudContract } from './crud-contract.ts';
import { discoveryContract } from './discovery-contract.ts';
import { workloadContract } from './workload-contract.ts';

export type { ClusterHandle, ContractTarget } from './contract-context.ts';

/**
 * The behaviour Flotilla relies on from a Kubernetes API server, as one suite that runs against
 * a real kube-apiserver and against kube-sim: where they differ, the simulator is wrong.
 */
export function defineKubeContract(name: string, setup: () => Promise<ContractTarget>): void {
  describe(name, () => {
    let context: ContractContext | undefined;
    beforeAll(async () => {
      context = new ContractContext(await setup());
    });
    afterAll(async () => {
      await context?.target.teardown();
    });
    const current = (): ContractContext => {
      if (!context) throw new Error('the contract target did not start');
      return context;
    };
    describe('discovery, version and authentication', () => discoveryContract(current));
    describe('server-side apply', () => applyContract(current));
    describe('reads, writes and deletes', () => crudContract(current));
    describe('workloads', () => workloadContract(current));
  });
}
