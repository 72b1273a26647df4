/** Unit tests of the kernel library (TypeScript through ts-jest). */
// TensorFlow's C++ log lines when a suite loads the native backend: the library sets this before it
// loads it, but inside jest's sandbox process.env is a copy that TensorFlow never reads, so set it here,
// in the process the workers inherit their environment from.
process.env.TF_CPP_MIN_LOG_LEVEL ??= "2";
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/tsconfig.test.json" }] },
  testTimeout: 60000,
};
