// One freezable TCP proxy serves the tests and the load-and-fault script.
export { freezableProxy, viaProxy, type FreezableProxy } from '../../scripts/fault/freezable-proxy';
