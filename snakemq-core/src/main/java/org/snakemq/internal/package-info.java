/**
 * Helpers that several packages of snakemq-core share but that are not API: their types are public
 * only so that the core's own packages can reach them, and may change in any release. Programs on
 * snakemq-core (the starter and the CLI included, checked by their architecture tests) do not use
 * them.
 */
package org.snakemq.internal;
