// What a stand-in image is made of. A stand-in replaces an official image when no registry
// answers: the same program at the same major.minor as the tag it stands for, installed from
// Debian packages, behind the interface the official image documents (environment variables,
// ports, volumes, entrypoint). Adding a tag is one recipe in `table.ts`.
//
// A recipe is data only; `build.ts` turns it into an image (mmdebstrap + docker import), and
// the recipe hash covers every field and the content of every file it copies.

export interface StandInFile {
  /** Path of the file, relative to `verify/src/engine/stand-ins/files/`. */
  from: string;
  /** Octal mode in the image, e.g. 0o755. */
  mode: number;
}

export interface StandInRecipe {
  /** Tags this recipe stands for, e.g. ['python:3.13-slim']. Each tag names one image. */
  refs: readonly string[];
  /** The program and version it carries, in words (report, docs): 'CPython 3.13 (Debian trixie)'. */
  program: string;
  /** Debian suite the packages come from. */
  suite: string;
  /** Debian packages (mmdebstrap --variant=minbase --include; Recommends are not installed). */
  packages: readonly string[];
  /** Packages whose installed versions the report lists beside the image. */
  reportPackages: readonly string[];
  /** Files copied into the image: image path → file of this folder. */
  files?: Readonly<Record<string, StandInFile>>;
  /**
   * Shell commands run after the packages are installed, with "$1" = the root directory
   * (mmdebstrap --customize-hook), e.g. `chroot "$1" ln -s …`. Files are copied before them.
   */
  customize?: readonly string[];
  /**
   * mmdebstrap --skip actions. 'cleanup/run': mmdebstrap empties /run after the hooks, so an
   * image whose official twin ships directories there (/run/mysqld) skips that cleanup and
   * tidies /run in a hook itself.
   */
  skip?: readonly string[];
  /** Dockerfile instructions applied on import: CMD, ENTRYPOINT, ENV, EXPOSE, VOLUME, WORKDIR, STOPSIGNAL. */
  config: readonly string[];
  /** Known differences from the real image, listed in verify/docs/stand-ins.md and the report. */
  differences: readonly string[];
  /** Run-time services the image needs from the harness: 'pypi' = the offline package index. */
  needs?: readonly 'pypi'[];
}
