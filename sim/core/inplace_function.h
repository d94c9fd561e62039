// A move-only callable stored inside a fixed buffer: never allocates. A callable that does not
// fit is a compile error, not a silent heap allocation: capture a pointer to larger state.
// The event queue keeps its handlers in these, so scheduling an event costs no allocation.
#pragma once

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace netsim {

template <typename Signature, std::size_t Capacity = 48>
class InplaceFunction;

template <typename R, typename... Args, std::size_t Capacity>
class InplaceFunction<R(Args...), Capacity> {
public:
    InplaceFunction() = default;

    template <typename F, typename D = std::decay_t<F>,
              typename = std::enable_if_t<!std::is_same_v<D, InplaceFunction>>>
    InplaceFunction(F&& f) {  // NOLINT(google-explicit-constructor): callables convert implicitly
        static_assert(sizeof(D) <= Capacity,
                      "callable too large for InplaceFunction: capture a pointer instead");
        static_assert(alignof(D) <= alignof(std::max_align_t), "over-aligned callable");
        static_assert(std::is_nothrow_move_constructible_v<D>, "callable must be nothrow-movable");
        ::new (static_cast<void*>(buffer_)) D(std::forward<F>(f));
        ops_ = &ops_for<D>;
    }

    InplaceFunction(InplaceFunction&& other) noexcept { take(std::move(other)); }
    InplaceFunction& operator=(InplaceFunction&& other) noexcept {
        if (this != &other) {
            reset();
            take(std::move(other));
        }
        return *this;
    }
    InplaceFunction(const InplaceFunction&) = delete;
    InplaceFunction& operator=(const InplaceFunction&) = delete;
    ~InplaceFunction() { reset(); }

    explicit operator bool() const { return ops_ != nullptr; }

    R operator()(Args... args) { return ops_->invoke(buffer_, std::forward<Args>(args)...); }

    void reset() {
        if (ops_) {
            ops_->destroy(buffer_);
            ops_ = nullptr;
        }
    }

private:
    struct Ops {
        R (*invoke)(void*, Args&&...);
        void (*move_to)(void* from, void* to);
        void (*destroy)(void*);
    };

    template <typename D>
    static constexpr Ops ops_for{
        [](void* p, Args&&... args) -> R { return (*static_cast<D*>(p))(std::forward<Args>(args)...); },
        [](void* from, void* to) {
            ::new (to) D(std::move(*static_cast<D*>(from)));
            static_cast<D*>(from)->~D();
        },
        [](void* p) { static_cast<D*>(p)->~D(); },
    };

    void take(InplaceFunction&& other) {
        if (other.ops_) {
            other.ops_->move_to(other.buffer_, buffer_);
            ops_ = other.ops_;
            other.ops_ = nullptr;
        }
    }

    alignas(std::max_align_t) std::byte buffer_[Capacity];
    const Ops* ops_ = nullptr;
};

}  // namespace netsim
