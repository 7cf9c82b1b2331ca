// A fault test waits out outages and restarts: 180 s per test and hook. Set here rather than as
// the config's testTimeout, which Jest takes from the first project only when the e2e and fault
// projects run together (`npm run test:services`).
jest.setTimeout(180000);
