//===- omp_regions.c - Per-region times of OpenMP programs --------*- C -*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// An OMPT tool that libomp loads into any OpenMP program (a compiled model
// under `attnc-run bench`, a kernel under `attnc-run call`) and that prints,
// when the program ends, every parallel region by the address it is forked
// from: how often it ran, its mean wall time (fork to join, on the forking
// thread), and per thread the mean time in the region's work and waiting at
// its closing barrier. Uneven work (one core slower than the other) and
// regions that cost more to fork than they compute show directly:
//
//   clang -O2 -shared -fPIC -I$(clang -print-resource-dir)/include \
//     tools/bench/omp_regions.c -o /tmp/omp_regions.so
//   OMP_TOOL_LIBRARIES=/tmp/omp_regions.so attnc-run bench model.attnc \
//     -p 0 -n 128
//
// A region is named by the object it is forked from and the offset there
// (`model.so+4da7c`); `objdump -d` at that offset shows the outlined body
// (`<fn>..omp_par.N`) that its __kmpc_fork_call runs. Regions with an `if`
// clause (attnc-serialize-single-task-regions) fork from libomp's
// __kmpc_fork_call_if, so they share one line named by libomp; those that
// ran on the calling thread alone show no other thread's work. Up to
// kMaxThreads threads and kMaxRegions regions are kept; the tool adds two clock
// reads per thread and barrier, well under a microsecond.
//
//===----------------------------------------------------------------------===//

#define _GNU_SOURCE
#include <dlfcn.h>
#include <omp-tools.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { kMaxRegions = 1024, kMaxThreads = 8 };

typedef struct {
  const void *address;
  char label[64];
  long runs;
  double wall;
  double work[kMaxThreads];
  double wait[kMaxThreads];
} Region;

static Region regions[kMaxRegions];
static int numRegions;
static int numThreads;

// The forking thread's current region and when it forked.
static Region *forked;
static double forkTime;

// Per thread: its index, the region it works in, and when its work (or its
// wait) began.
static __thread int threadIndex = -1;
static __thread Region *current;
static __thread double workStart, waitStart;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

/// The region forked at `address` (the first slot when the table is full).
static Region *findRegion(const void *address) {
  for (int i = 0; i < numRegions; ++i)
    if (regions[i].address == address)
      return &regions[i];
  if (numRegions == kMaxRegions)
    return &regions[0];
  // Named while its object is loaded (a model's library is closed before
  // the program ends): the object and the offset as `objdump -d` numbers it.
  Region *region = &regions[numRegions++];
  region->address = address;
  Dl_info info;
  const char *object = "?";
  uintptr_t offset = (uintptr_t)address;
  if (dladdr(address, &info) && info.dli_fname) {
    const char *slash = strrchr(info.dli_fname, '/');
    object = slash ? slash + 1 : info.dli_fname;
    offset -= (uintptr_t)info.dli_fbase;
  }
  snprintf(region->label, sizeof region->label, "%s+%lx", object,
           (unsigned long)offset);
  return region;
}

static void onParallelBegin(ompt_data_t *encounteringTask,
                            const ompt_frame_t *encounteringFrame,
                            ompt_data_t *parallel, unsigned requestedThreads,
                            int flags, const void *address) {
  (void)encounteringTask;
  (void)encounteringFrame;
  (void)requestedThreads;
  (void)flags;
  forked = findRegion(address);
  parallel->ptr = forked;
  forkTime = now();
}

static void onParallelEnd(ompt_data_t *parallel, ompt_data_t *encounteringTask,
                          int flags, const void *address) {
  (void)encounteringTask;
  (void)flags;
  (void)address;
  Region *region = parallel->ptr;
  region->wall += now() - forkTime;
  ++region->runs;
}

static void onImplicitTask(ompt_scope_endpoint_t endpoint,
                           ompt_data_t *parallel, ompt_data_t *task,
                           unsigned actualParallelism, unsigned index,
                           int flags) {
  (void)task;
  (void)actualParallelism;
  (void)index;
  if (flags & ompt_task_initial)
    return;
  if (threadIndex < 0) {
    threadIndex = __atomic_fetch_add(&numThreads, 1, __ATOMIC_RELAXED);
    if (threadIndex >= kMaxThreads)
      threadIndex = kMaxThreads - 1;
  }
  if (endpoint == ompt_scope_begin) {
    current = parallel ? parallel->ptr : NULL;
    workStart = now();
  }
}

static void onSyncRegionWait(ompt_sync_region_t kind,
                             ompt_scope_endpoint_t endpoint,
                             ompt_data_t *parallel, ompt_data_t *task,
                             const void *address) {
  (void)parallel;
  (void)task;
  (void)address;
  if (kind != ompt_sync_region_barrier_implicit_parallel &&
      kind != ompt_sync_region_barrier_implicit &&
      kind != ompt_sync_region_barrier_implicit_workshare)
    return;
  if (!current || threadIndex < 0)
    return;
  double time = now();
  if (endpoint == ompt_scope_begin) {
    current->work[threadIndex] += time - workStart;
    waitStart = time;
  } else {
    current->wait[threadIndex] += time - waitStart;
    workStart = time;
  }
}

static int compareWall(const void *a, const void *b) {
  double x = ((const Region *)a)->wall, y = ((const Region *)b)->wall;
  return (x < y) - (x > y);
}

static int initialize(ompt_function_lookup_t lookup, int initialDevice,
                      ompt_data_t *toolData) {
  (void)initialDevice;
  (void)toolData;
  ompt_set_callback_t set = (ompt_set_callback_t)lookup("ompt_set_callback");
  set(ompt_callback_parallel_begin, (ompt_callback_t)onParallelBegin);
  set(ompt_callback_parallel_end, (ompt_callback_t)onParallelEnd);
  set(ompt_callback_implicit_task, (ompt_callback_t)onImplicitTask);
  set(ompt_callback_sync_region_wait, (ompt_callback_t)onSyncRegionWait);
  return 1;
}

static void finalize(ompt_data_t *toolData) {
  (void)toolData;
  int threads = numThreads < kMaxThreads ? numThreads : kMaxThreads;
  qsort(regions, numRegions, sizeof(Region), compareWall);
  double wall = 0;
  for (int i = 0; i < numRegions; ++i)
    wall += regions[i].wall;
  fprintf(stderr,
          "omp_regions: %d regions, %.3f s in all; per run: wall, then per "
          "thread work / wait (us)\n",
          numRegions, wall);
  for (int i = 0; i < numRegions; ++i) {
    const Region *region = &regions[i];
    if (region->runs == 0)
      continue;
    double runs = (double)region->runs;
    fprintf(stderr, "  %-18s %8ld runs %9.2f", region->label, region->runs,
            1e6 * region->wall / runs);
    for (int t = 0; t < threads; ++t)
      fprintf(stderr, " | %8.2f %7.2f", 1e6 * region->work[t] / runs,
              1e6 * region->wait[t] / runs);
    fprintf(stderr, "\n");
  }
}

ompt_start_tool_result_t *ompt_start_tool(unsigned ompVersion,
                                          const char *runtimeVersion) {
  (void)ompVersion;
  (void)runtimeVersion;
  static ompt_start_tool_result_t result = {initialize, finalize, {0}};
  return &result;
}
