/** JMH micro-benchmarks; the side-by-side load harness is scripts/bench. */
package io.roost.bench;
