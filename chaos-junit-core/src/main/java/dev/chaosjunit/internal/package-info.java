/**
 * Internal implementation of chaos-junit. <b>Do not use</b>: nothing here is API, and any of it
 * may change or disappear in any release.
 */
package dev.chaosjunit.internal;
