"""The conversation loop: prompt assembly, tool dispatch, compression, memory fan-out."""
