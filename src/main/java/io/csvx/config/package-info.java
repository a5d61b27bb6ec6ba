/// Configuration: the immutable [io.csvx.config.Config] record and the parsers its flags use.
/// May use `net` for address ranges; nothing else.
package io.csvx.config;
