func.func @qkv_proj_dynamic_sequence(%x: tensor<?x?x64xf16>, %wq: tensor<64x64xf16>,
    %wk: tensor<64x64xf16>, %wv: tensor<64x32xf16>, %bq: tensor<64xf16>,
    %bk: tensor<64xf16>, %bv: tensor<32xf16>, %q0: tensor<?x4x?x16xf16>,
    %k0: tensor<?x4x?x16xf16>, %v0: tensor<?x4x?x8xf16>) -> tensor<?x4x?x8xf16> {
  %q, %k, %v = attn.qkv_proj ins(%x : tensor<?x?x64xf16>)
      weights(%wq, %wk, %wv : tensor<64x64xf16>, tensor<64x64xf16>, tensor<64x32xf16>)
      biases(%bq, %bk, %bv : tensor<64xf16>, tensor<64xf16>, tensor<32xf16>)
      outs(%q0, %k0, %v0 : tensor<?x4x?x16xf16>, tensor<?x4x?x16xf16>, tensor<?x4x?x8xf16>)
      -> tensor<?x4x?x16xf16>, tensor<?x4x?x16xf16>, tensor<?x4x?x8xf16>
  return %v : tensor<?x4x?x8xf16>
}
