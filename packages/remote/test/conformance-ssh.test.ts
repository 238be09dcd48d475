import { dirname } from 'node:path';
import { describe } from 'vitest';
import { remoteConformance } from './remote-conformance.js';
import { available, services } from './services.js';

// The shared suite with every worker started over a real ssh. On the network-namespace hosts when
// they are up (workers sit on other addresses and dial the bridge), else on the loopback sshd.
const netns = available('netns');
if (available('ssh')) {
  const { ssh } = services;
  const hosts = netns ? services.netns?.hosts.map((h) => `${h.ssh}:8`) : ssh?.hosts.map((h) => `${h}:8`);
  process.env.MTL_TEST_LAUNCHER = JSON.stringify({
    kind: 'ssh',
    hosts,
    // One ssh connection per host, shared by the workers' sessions: a worker starts 20 % sooner.
    sshArgs: [
      '-F',
      ssh?.config,
      '-o',
      'ControlMaster=auto',
      '-o',
      `ControlPath=${dirname(ssh?.config ?? '')}/cm-%C`,
      '-o',
      'ControlPersist=30',
    ],
    ...(netns && { listen: { host: services.netns?.hostAddress } }),
  });
  console.info(
    `[@mtl/remote] the ssh suite starts its workers on ${hosts?.join(', ')}${netns ? `, which dial ${services.netns?.hostAddress}` : ' (the loopback sshd)'}`,
  );
  // A worker starts in about a second here (ssh, and root's ~/.bashrc on every login: see
  // scripts/services/README.md), so time limits that include start-up get that much more, and the
  // fault campaign, which replaces a worker for every fault, is a quarter of the usual size.
  remoteConformance({ startMs: 1500, campaignItems: 2500 });
} else describe.skip('remote (ssh): no sshd (see the warning above)', () => {});
