import { DockerUnavailableError } from '../errors.js';

/**
 * The Compose plugin is installed in ~/.docker/cli-plugins, but DOCKER_CONFIG sends the docker
 * CLI elsewhere. Using docker-compose v1 instead would only fail later on the generated files.
 */
export class ComposePluginHiddenError extends DockerUnavailableError {
  constructor(
    readonly plugin: string,
    readonly dockerConfig: string,
    searched: readonly string[],
    dockerSaid: string,
  ) {
    super(
      [
        `the Docker Compose v2 plugin is installed at ${plugin}, but DOCKER_CONFIG=${dockerConfig} is set, so the docker CLI looks for plugins only in ${searched.join(', ')} (\`docker compose\` said "${dockerSaid}").`,
        `Make it visible there: mkdir -p ${dockerConfig}/cli-plugins && ln -s ${plugin} ${dockerConfig}/cli-plugins/docker-compose (or unset DOCKER_CONFIG). rmq-compose does not fall back to docker-compose v1 while v2 is installed.`,
      ].join('\n'),
    );
  }
}

/** The Compose found cannot read the cluster's compose files (v1, or a v2 before the feature they use). */
export class ComposeTooOldError extends DockerUnavailableError {
  constructor(
    readonly compose: string,
    readonly files: readonly string[],
    readonly needed: string,
    searched: readonly string[],
  ) {
    super(
      [
        `${compose} cannot read ${files.join(', ')}: ${files.length === 1 ? 'it carries' : 'they carry'} the generated files as top-level \`configs:\` with \`content:\`, which needs Docker Compose v${needed} or later. Refused before running Compose on any machine.`,
        `Install the Docker Compose v2 plugin, ${needed} or later (the docker-compose-plugin package from Docker's apt repository, or a release binary from https://github.com/docker/compose/releases saved as an executable docker-compose in one of: ${searched.join(', ')}).`,
      ].join('\n'),
    );
  }
}
