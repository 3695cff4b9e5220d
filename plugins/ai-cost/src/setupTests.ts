import '@testing-library/jest-dom';

// jsdom has no ResizeObserver, which the recharts ResponsiveContainer needs.
// This stub never reports a size, so charts render without bars in tests.
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}

if (!('ResizeObserver' in globalThis)) {
  Object.assign(globalThis, { ResizeObserver: ResizeObserverStub });
}
