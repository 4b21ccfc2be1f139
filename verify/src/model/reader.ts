// Who follows the course in a lab: a normal user in the docker group who may use sudo, as after
// the installation lesson. The engine creates this user (engine/lab-image.ts); the page runner
// resolves `~` and a bare `cd` to this home, as the reader's shell does.

export const READER_USER = 'lector';
export const READER_HOME = `/home/${READER_USER}`;
