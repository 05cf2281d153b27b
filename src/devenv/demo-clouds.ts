// The cloud simulators the demo runs beside the local control plane, and the operator settings
// that point the operator at them. Each resource kind adds its simulator here as it lands.
export interface DemoClouds {
  /** Lines to show the user (where each simulator listens). */
  describe: string[];
  /** Environment for the operator process (endpoint overrides). */
  operatorEnv: Record<string, string>;
  stop(): Promise<void>;
}

export function startDemoClouds(_workDir: string): Promise<DemoClouds> {
  return Promise.resolve({ describe: ['No cloud simulators yet (they arrive with the resource controllers).'], operatorEnv: {}, stop: () => Promise.resolve() });
}
