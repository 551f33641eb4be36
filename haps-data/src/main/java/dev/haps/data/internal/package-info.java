/**
 * Helpers the SDK's own modules share (haps-client, haps-collect, haps-serve); <b>not a supported
 * API</b>: exported only because modules above haps-data (some on the class path) use them, and
 * free to change in any release. Applications should not call them.
 */
package dev.haps.data.internal;
