import { describe, expect, it } from 'vitest';
import { infrastructureFault } from '../../src/run/infrastructure.ts';

// A failure whose cause is the machine is not drift (issue #23): told from the step's output.
describe('infrastructureFault', () => {
  it('tells a rate limit, the network, a full disk and a missing engine apart, with the line that says so', () => {
    expect(
      infrastructureFault(
        "Unable to find image 'mariadb:11.8' locally\ndocker: Error response from daemon: toomanyrequests: You have reached your unauthenticated pull rate limit.",
      ),
    ).toEqual({
      kind: 'infrastructure',
      fault: 'rate-limit',
      evidence: 'docker: Error response from daemon: toomanyrequests: You have reached your unauthenticated pull rate limit.',
    });
    expect(
      infrastructureFault(
        'Error response from daemon: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.0.0.1:53: no such host',
      ),
    ).toMatchObject({ fault: 'network' });
    expect(infrastructureFault('ERROR: failed to solve: write /var/lib/docker/tmp/x: no space left on device')).toMatchObject({
      fault: 'disk',
    });
    expect(
      infrastructureFault('Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?'),
    ).toMatchObject({ fault: 'engine' });
  });

  it('leaves real drift alone: a page whose own command fails, a curl that cannot connect', () => {
    expect(infrastructureFault('ls: cannot access /nada: No such file or directory')).toBeNull();
    expect(infrastructureFault('curl: (7) Failed to connect to 127.0.0.1 port 8080 after 0 ms: Connection refused')).toBeNull();
    expect(infrastructureFault('Error response from daemon: Conflict. The container name "/servidor" is already in use')).toBeNull();
    expect(infrastructureFault(null)).toBeNull();
  });
});
