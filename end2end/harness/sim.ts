// The run's Proxmox VE simulator, from a test: its fault injection (`PUT /_sim/faults`), and
// containers made straight through its API (as someone would outside Berth).
import { type APIRequestContext, expect, request as httpRequest } from '@playwright/test';
import { requireEnv } from './berth';

async function withSim<T>(use: (api: APIRequestContext, pve: string) => Promise<T>): Promise<T> {
  const pve = requireEnv('BERTH_E2E_PVE_URL');
  const api = await httpRequest.newContext({
    ignoreHTTPSErrors: true,
    extraHTTPHeaders: { Authorization: `PVEAPIToken=${requireEnv('BERTH_E2E_PVE_TOKEN')}` },
  });
  try {
    return await use(api, pve);
  } finally {
    await api.dispose();
  }
}

/** Replaces the simulator's faults (an empty object clears them). */
export async function setFaults(faults: object): Promise<void> {
  await withSim(async (api, pve) => {
    const response = await api.put(`${pve}/_sim/faults`, { data: faults });
    expect(response.status(), await response.text()).toBe(200);
  });
}

/** Creates a stopped container on pve1 through the Proxmox API and waits for its task. */
export async function createContainer(vmid: number, hostname: string): Promise<void> {
  await withSim(async (api, pve) => {
    const response = await api.post(`${pve}/api2/json/nodes/pve1/lxc`, {
      form: {
        vmid: String(vmid),
        hostname,
        ostemplate: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst',
        rootfs: 'local-lvm:8',
        unprivileged: '1',
        'net0': 'name=eth0,bridge=vmbr0,ip=dhcp',
      },
    });
    expect(response.status(), await response.text()).toBe(200);
    const upid: string = (await response.json()).data;
    await expect
      .poll(
        async () => {
          const task = await api.get(`${pve}/api2/json/nodes/pve1/tasks/${encodeURIComponent(upid)}/status`);
          return (await task.json()).data?.status;
        },
        { message: `create task of CT ${vmid}`, timeout: 30_000 },
      )
      .toBe('stopped');
  });
}

/** Destroys a container made by `createContainer` (its task is not waited for). */
export async function destroyContainer(vmid: number): Promise<void> {
  await withSim(async (api, pve) => {
    const response = await api.delete(`${pve}/api2/json/nodes/pve1/lxc/${vmid}`);
    expect(response.status(), await response.text()).toBe(200);
  });
}
