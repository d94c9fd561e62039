// A move-only callable stored inside a fixed buffer: never allocates. A callable that does not
// fit is a compile error, not a silent heap allocation: capture a pointer to larger state.
// The event queue keeps its handlers in these, so scheduling an event costs no allocation.
// Moving a trivially copyable callable copies its bytes (no indirect call), and destroying a
// trivially destructible one does nothing, so the common case (a few captured pointers or
// integers) costs one indirect call per event: the invocation itself.
#pragma once

#include <cstddef>
#include <cstring>
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

    // Builds `f` in this empty function's buffer: no temporary to move from (the event queue
    // builds a handler straight in its slot this way).
    template <typename F, typename D = std::decay_t<F>>
    void emplace(F&& f) noexcept {
        static_assert(sizeof(D) <= Capacity,
                      "callable too large for InplaceFunction: capture a pointer instead");
        static_assert(alignof(D) <= alignof(std::max_align_t), "over-aligned callable");
        static_assert(std::is_nothrow_move_constructible_v<D>, "callable must be nothrow-movable");
        static_assert(std::is_nothrow_constructible_v<D, F&&>, "emplace needs a nothrow construction");
        reset();
        ::new (static_cast<void*>(buffer_)) D(std::forward<F>(f));
        ops_ = &ops_for<D>;
    }
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

    // Inlined wherever it is called (LTO left it out of line): emptying a function that holds
    // nothing, the common case when the event queue fills a free slot, is one test.
    [[gnu::always_inline]] void reset() {
        if (ops_) {
            if (ops_->destroy) ops_->destroy(buffer_);
            ops_ = nullptr;
        }
    }

private:
    struct Ops {
        R (*invoke)(void*, Args&&...);
        void (*move_to)(void* from, void* to);  // null: trivially copyable, copy the bytes
        void (*destroy)(void*);                 // null: trivially destructible, nothing to do
    };

    template <typename D>
    static R invoke_as(void* p, Args&&... args) {
        return (*static_cast<D*>(p))(std::forward<Args>(args)...);
    }
    template <typename D>
    static void move_as(void* from, void* to) {
        ::new (to) D(std::move(*static_cast<D*>(from)));
        static_cast<D*>(from)->~D();
    }
    template <typename D>
    static void destroy_as(void* p) {
        static_cast<D*>(p)->~D();
    }
    template <typename D>
    static constexpr Ops ops_for{
        &invoke_as<D>,
        std::is_trivially_copyable_v<D> ? nullptr : &move_as<D>,
        std::is_trivially_destructible_v<D> ? nullptr : &destroy_as<D>,
    };

    void take(InplaceFunction&& other) {
        if (other.ops_) {
            if (other.ops_->move_to)
                other.ops_->move_to(other.buffer_, buffer_);
            else
                std::memcpy(buffer_, other.buffer_, Capacity);
            ops_ = other.ops_;
            other.ops_ = nullptr;
        }
    }

    alignas(std::max_align_t) std::byte buffer_[Capacity];
    const Ops* ops_ = nullptr;
};

}  // namespace netsim
