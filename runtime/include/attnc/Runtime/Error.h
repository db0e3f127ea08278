//===- Error.h - Error and Expected for the runtime --------------*- C++
//-*-===//
//
// Part of the attnc project.
//
//===----------------------------------------------------------------------===//
//
// The runtime reports failures by value, never by exception (it is built with
// -fno-exceptions, as LLVM is) and never by aborting on bad input. The two
// types mirror llvm::Error and llvm::Expected so that they read the same, but
// depend on nothing beyond the standard library, so that the runtime can ship
// without LLVM:
//
//   if (Error err = writeNpy(path, tensor))
//     return fail(err.getMessage());          // Error is true on failure
//   Expected<Tensor> tensor = readNpy(path);
//   if (!tensor)                               // Expected is true on success
//     return fail(tensor.getError().getMessage());
//   use(*tensor);
//
// Messages are a single line without a trailing period; the ones about files
// start with the file name: "x.npy: unsupported dtype '<c8'".
//
// Unlike their LLVM namesakes these do not abort when a failure is left
// unchecked; they are [[nodiscard]] instead. In code that also does
// `using namespace llvm`, spell them runtime::Error and runtime::Expected.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_RUNTIME_ERROR_H
#define ATTNC_RUNTIME_ERROR_H

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace attnc::runtime {

/// Success, or a failure with a one-line message. Converts to true on
/// failure, as llvm::Error does.
class [[nodiscard]] Error {
public:
  /// Returns a success value.
  static Error success() { return Error(); }
  /// Returns a failure that carries `message`.
  static Error failure(std::string message) {
    Error error;
    error.failed = true;
    error.message = std::move(message);
    return error;
  }

  /// True when this is a failure.
  explicit operator bool() const { return failed; }
  /// The failure message; empty on success.
  const std::string &getMessage() const { return message; }

private:
  Error() = default;

  bool failed = false;
  std::string message;
};

/// A value of type T, or the Error that prevented computing it. Converts to
/// true on success, as llvm::Expected does.
template <typename T> class [[nodiscard]] Expected {
public:
  Expected(T value) : value(std::move(value)), error(Error::success()) {}
  /// `error` must be a failure.
  Expected(Error error) : error(std::move(error)) {
    assert(this->error && "an Expected built from an Error must be a failure");
  }

  /// True when this holds a value.
  explicit operator bool() const { return value.has_value(); }

  T &operator*() {
    assert(value && "dereferencing a failed Expected");
    return *value;
  }
  const T &operator*() const {
    assert(value && "dereferencing a failed Expected");
    return *value;
  }
  T *operator->() { return &**this; }
  const T *operator->() const { return &**this; }

  /// Moves the value out; this must hold a value.
  T take() { return std::move(**this); }

  /// The failure; a success Error when this holds a value.
  const Error &getError() const { return error; }
  /// Moves the failure out, e.g. to return it from a function that returns
  /// Error or another Expected.
  Error takeError() { return std::move(error); }

private:
  std::optional<T> value;
  Error error;
};

} // namespace attnc::runtime

#endif // ATTNC_RUNTIME_ERROR_H
