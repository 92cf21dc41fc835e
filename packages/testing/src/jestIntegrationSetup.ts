// jest reads `testTimeout` from the global config only, so a per-project timeout has to be set from a setup file.
jest.setTimeout(60_000);
