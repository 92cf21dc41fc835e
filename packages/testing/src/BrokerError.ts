import { WarrenError } from '@warren/core';

/**
 * No broker could be found or started for the tests. Code `NO_TEST_BROKER` (nothing answered and no Docker engine),
 * `TEST_CONTAINER_FAILED` (Docker is there but the RabbitMQ container did not start), `TEST_NODE_FAILED` (a private
 * local node did not start) or `INVALID_TEST_BROKER` (a bad `WARREN_TEST_BROKER` value).
 */
export class TestBrokerError extends WarrenError {}
