/**
 * Extra CA certificates from the IT policy (corporate roots for the GWS server and the update feed),
 * added to what Node's TLS trusts in the main process. Electron-free; reads PEM files, reports the
 * ones it could not use, never throws.
 */
import https from 'node:https';
import tls from 'node:tls';

/** Splits PEM text into its certificates (a file may bundle several). */
export function pemCertificates(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

export async function loadTrustedCas(paths: readonly string[], readFile: (path: string) => Promise<string>): Promise<{ certificates: string[]; problems: string[] }> {
  const certificates: string[] = [];
  const problems: string[] = [];
  for (const path of paths) {
    try {
      const found = pemCertificates(await readFile(path));
      if (found.length === 0) problems.push(`${path}: no PEM certificate in the file`);
      certificates.push(...found);
    } catch (error) {
      problems.push(`${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  }
  return { certificates, problems };
}

type TlsWithDefaults = typeof tls & {
  getCACertificates?: (type: 'default' | 'system' | 'bundled') => string[];
  setDefaultCACertificates?: (certs: string[]) => void;
};

/** Adds the certificates to the process-wide defaults (fetch and http/https alike where Node allows). */
export function trustCertificates(certificates: readonly string[]): 'default-ca' | 'https-agent' | 'none' {
  if (certificates.length === 0) return 'none';
  const t = tls as TlsWithDefaults;
  if (t.setDefaultCACertificates && t.getCACertificates) {
    // Node ≥ 22.19 / 24.5: affects every TLS connection made afterwards, fetch included.
    t.setDefaultCACertificates([...t.getCACertificates('default'), ...certificates]);
    return 'default-ca';
  }
  https.globalAgent.options.ca = [...tls.rootCertificates, ...certificates];
  return 'https-agent';
}
