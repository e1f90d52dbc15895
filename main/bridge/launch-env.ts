// What the environment says about one launch, for both start paths (browser mode and the Electron
// main process): LJD_DATA_DIR (data folder), LJD_SERVER_ADDRESS + LJD_API_TOKEN (a profile that
// overrides the saved ones — tests and scripts use it), LJD_PORT (browser mode's fixed port).
// Pure Node: no Electron.

export interface LaunchEnv {
  /** undefined: the platform's app-data folder (Electron: userData) */
  dataDir?: string;
  profileOverride?: { serverAddress: string; apiToken: string };
  /** 0 = any free port */
  port: number;
}

/** Reads and checks the LJD_* variables; a half-given profile or a bad port is an error a person can fix. */
export function launchEnvOf(env: NodeJS.ProcessEnv = process.env): LaunchEnv {
  const address = env.LJD_SERVER_ADDRESS?.trim();
  const token = env.LJD_API_TOKEN?.trim();
  if (Boolean(address) !== Boolean(token)) {
    throw new Error('Set both LJD_SERVER_ADDRESS and LJD_API_TOKEN (or neither, to use the saved profiles or demo mode).');
  }
  const portText = env.LJD_PORT?.trim();
  const port = portText ? Number(portText) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`LJD_PORT must be a port number, got '${env.LJD_PORT}'.`);
  return {
    ...(env.LJD_DATA_DIR ? { dataDir: env.LJD_DATA_DIR } : {}),
    ...(address && token ? { profileOverride: { serverAddress: address, apiToken: token } } : {}),
    port,
  };
}
