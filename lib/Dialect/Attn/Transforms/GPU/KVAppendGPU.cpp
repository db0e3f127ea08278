//===- KVAppendGPU.cpp - attn.kv_append as an NVVM kernel -------*- C++ -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The new rows are scattered into the caches in place: the cache operands
// are the kernel's destinations. One kernel, 256 threads per block, grid
// (ceil(max(B*Hkv*Snew*max(D, Dv), B*Snew, B) / 256), 3):
//
//   blockIdx.y = 0: one thread per key element (b, h, t, d), d fastest, so a
//                   warp writes consecutive components of a row;
//   blockIdx.y = 1: the same for the values;
//   blockIdx.y = 2: the reference lowering's run-time checks, with its
//                   messages (cf.assert, __assertfail in the kernel): one
//                   thread per sequence for the start position (and, for
//                   contiguous caches, the end of the cache), one per new
//                   row for the block table (paged).
//
// A thread writes only when every check its write depends on holds, so a
// failed check never turns into an out-of-bounds access.
//
//===----------------------------------------------------------------------===//

#include "OpsGPU.h"
#include "attnc/Dialect/Attn/IR/ShapeChecks.h"

#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::gpu_kernels;

namespace {

/// The kernel arguments by role; `table` is null for contiguous caches.
struct AppendArgs {
  Value key, value, start, table, keyCache, valueCache;
};

} // namespace

/// Element `indices` of `source`, rounded (to nearest even) into the
/// element type of a low-precision `cache`.
static Value loadForCache(KernelMath &m, Value source, ValueRange indices,
                          Value cache) {
  Value v = m.load(source, indices);
  Type cacheElement = cast<MemRefType>(cache.getType()).getElementType();
  if (v.getType() == cacheElement)
    return v;
  return arith::TruncFOp::create(m.b, m.loc, cacheElement, v);
}

/// Writes element `id` of `source` [B, Hkv, Snew, D] into `cache`.
static void buildAppendSide(KernelMath &m, const AppendArgs &args, Value id,
                            Value source, Value cache) {
  Value sizes[] = {m.dim(source, 0), m.dim(source, 1), m.dim(source, 2),
                   m.dim(source, 3)};
  Value total = m.mul(m.mul(m.mul(sizes[0], sizes[1]), sizes[2]), sizes[3]);
  m.ifThen(m.lt(id, total), [&] {
    SmallVector<Value> idx = m.delinearize(id, sizes);
    Value batch = idx[0], head = idx[1], row = idx[2], col = idx[3];
    Value start = m.toIndex(m.load(args.start, batch));
    Value position = m.add(start, row);
    Value startOk = m.ge(start, m.index(0));

    if (!args.table) {
      // Kc[b, h, start[b] + t, d] = K_new[b, h, t, d], when the whole
      // sequence fits (the check of the reference) and this row does.
      Value fits = m.le(m.add(start, sizes[2]), m.dim(args.keyCache, 2));
      Value ok = m.both(m.both(startOk, fits), m.lt(position, m.dim(cache, 2)));
      m.ifThen(ok, [&] {
        m.store(loadForCache(m, source, {batch, head, row, col}, cache),
                cache, {batch, head, position, col});
      });
      return;
    }

    // Paged: position p lives in block table[b, p / block_size] at slot
    // p % block_size.
    int64_t blockSize = cast<MemRefType>(cache.getType()).getDimSize(2);
    Value logicalBlock = m.div(position, m.index(blockSize));
    Value slot = m.rem(position, m.index(blockSize));
    Value inTable = m.both(startOk, m.lt(logicalBlock, m.dim(args.table, 1)));
    Value block = m.ifElse(
        inTable, m.b.getIndexType(),
        [&] {
          return m.toIndex(m.load(args.table, {batch, logicalBlock}));
        },
        [&] { return m.index(-1); });
    Value ok = m.both(m.inRange(block, m.index(0), m.dim(args.keyCache, 0)),
                      m.lt(block, m.dim(cache, 0)));
    m.ifThen(ok, [&] {
      m.store(loadForCache(m, source, {batch, head, row, col}, cache), cache,
              {block, head, slot, col});
    });
  });
}

/// The run-time checks of the reference lowering, for thread `id`.
static void buildChecks(KernelMath &m, Operation *op, const AppendArgs &args,
                        Value id) {
  Value batchSize = m.dim(args.key, 0);
  Value newRows = m.dim(args.key, 2);
  auto check = [&](Value condition, StringRef what) {
    cf::AssertOp::create(m.b, m.loc, condition, getRuntimeCheckMessage(op, what));
  };

  // Per sequence: the start position, and the end of a contiguous cache.
  m.ifThen(m.lt(id, batchSize), [&] {
    Value start = m.toIndex(m.load(args.start, id));
    check(m.ge(start, m.index(0)), "negative start position");
    if (!args.table)
      check(m.le(m.add(start, newRows), m.dim(args.keyCache, 2)),
            "write past the end of the cache (start + Snew > Smax)");
  });
  if (!args.table)
    return;

  // Per new row of a paged cache: its block-table entry and block id.
  int64_t blockSize = cast<MemRefType>(args.keyCache.getType()).getDimSize(2);
  m.ifThen(m.lt(id, m.mul(batchSize, newRows)), [&] {
    Value batch = m.div(id, newRows);
    Value row = m.rem(id, newRows);
    Value start = m.toIndex(m.load(args.start, batch));
    // A negative start has been reported above (the reference stops there).
    m.ifThen(m.ge(start, m.index(0)), [&] {
      Value logicalBlock = m.div(m.add(start, row), m.index(blockSize));
      Value inTable = m.lt(logicalBlock, m.dim(args.table, 1));
      check(inTable, "position past the end of the block table");
      m.ifThen(inTable, [&] {
        Value block = m.toIndex(m.load(args.table, {batch, logicalBlock}));
        check(m.inRange(block, m.index(0), m.dim(args.keyCache, 0)),
              "block id outside [0, num_blocks)");
      });
    });
  });
}

SmallVector<Value> gpu_kernels::lowerKVAppendToGPU(OpBuilder &b, KVAppendOp op,
                                                   gpu::GPUModuleOp kernels) {
  Location loc = op.getLoc();
  SmallVector<Value> buffers = {getReadBuffer(b, loc, op.getKey()),
                                getReadBuffer(b, loc, op.getValue()),
                                getReadBuffer(b, loc, op.getStart())};
  if (Value table = op.getBlockTable())
    buffers.push_back(getReadBuffer(b, loc, table));
  // The caches are the destinations: written in place.
  Value keyCache = getWriteBuffer(b, loc, op.getKeyCache());
  Value valueCache = getWriteBuffer(b, loc, op.getValueCache());
  buffers.append({keyCache, valueCache});
  bool paged = op.isPaged();
  Operation *operation = op.getOperation();

  gpu::GPUFuncOp kernel = buildKernel(
      b, kernels, "attn_kv_append", ValueRange(buffers).getTypes(),
      {kElementwiseBlock, 1, 1},
      [&](OpBuilder &kb, Location kloc, ValueRange kargs) {
        KernelMath m{kb, kloc};
        AppendArgs args{kargs[0],
                        kargs[1],
                        kargs[2],
                        paged ? kargs[3] : Value(),
                        kargs[paged ? 4 : 3],
                        kargs[paged ? 5 : 4]};
        Value id = m.globalThreadId(kElementwiseBlock);
        Value side = m.blockId(gpu::Dimension::y);
        auto keys = scf::IfOp::create(kb, kloc, m.eq(side, m.index(0)),
                                      /*withElseRegion=*/true);
        kb.setInsertionPoint(keys.thenBlock()->getTerminator());
        buildAppendSide(m, args, id, args.key, args.keyCache);
        kb.setInsertionPoint(keys.elseBlock()->getTerminator());
        auto values = scf::IfOp::create(kb, kloc, m.eq(side, m.index(1)),
                                        /*withElseRegion=*/true);
        kb.setInsertionPoint(values.thenBlock()->getTerminator());
        buildAppendSide(m, args, id, args.value, args.valueCache);
        kb.setInsertionPoint(values.elseBlock()->getTerminator());
        buildChecks(m, operation, args, id);
      });

  KernelMath m{b, loc};
  auto elements = [&](Value buffer) {
    return m.mul(
        m.mul(m.mul(m.dim(buffer, 0), m.dim(buffer, 1)), m.dim(buffer, 2)),
        m.dim(buffer, 3));
  };
  Value batchSize = m.dim(buffers[0], 0);
  Value threads =
      m.max(m.max(elements(buffers[0]), elements(buffers[1])),
            m.max(m.mul(batchSize, m.dim(buffers[0], 2)), batchSize));
  Value blocks = m.ceilDiv(threads, m.index(kElementwiseBlock));
  launchKernel(b, loc, kernel, {blocks, m.index(3), m.index(1)},
               /*sharedMemoryBytes=*/0, buffers);
  return {
      getWrittenTensor(b, loc, keyCache, op.getKeyCacheResult().getType()),
      getWrittenTensor(b, loc, valueCache, op.getValueCacheResult().getType())};
}
