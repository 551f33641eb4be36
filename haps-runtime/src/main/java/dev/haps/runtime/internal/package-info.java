/**
 * Implementation details of the HAPS runtime shared between its packages (ONNX Runtime session
 * options, bundle file reading and manifest parsing). Not a supported API: it may change in any
 * release.
 */
package dev.haps.runtime.internal;
