package tokencost.catalog;

/** Attention variants that decide the KV-cache layout. */
public enum AttentionKind { MHA, GQA, MQA, MLA }
