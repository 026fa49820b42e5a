/** RESP2/RESP3 request decoding and reply writing over Netty buffers. */
package io.roost.protocol;
