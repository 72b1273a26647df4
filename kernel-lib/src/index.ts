// The kernel library entry point: being written (see kernel-lib/ brief).
export {};
