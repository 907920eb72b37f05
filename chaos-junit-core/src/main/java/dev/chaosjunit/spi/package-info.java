/**
 * Service provider interface for plug-ins that front dependencies chaos-junit-core does not know,
 * such as Testcontainers-managed containers.
 */
package dev.chaosjunit.spi;
