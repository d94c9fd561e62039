// Storage for many objects of one type that come and go during a run (sockets, connections):
// objects live in fixed-size chunks that never move, so a reference stays valid until the
// object is destroyed, and a destroyed object's cell is reused by the next one. Creating and
// destroying costs no allocation once the pool has grown to the run's peak; dropping the pool
// frees a few chunks instead of one block per object. Chunks start at 2 cells and double up to
// `MaxChunk`, so a pool that holds one or two objects (a backend's kernel) stays small. Which cell an object gets depends only on
// the order of creations and destructions, never on addresses; callers must not let cell order
// reach behaviour anyway.
#pragma once

#include "sim/core/check.h"

#include <algorithm>
#include <cstddef>
#include <memory>
#include <new>
#include <utility>
#include <vector>

namespace netsim {

template <typename T, std::size_t MaxChunk = 64>
class ObjectPool {
public:
    ObjectPool() = default;
    ObjectPool(const ObjectPool&) = delete;
    ObjectPool& operator=(const ObjectPool&) = delete;
    ~ObjectPool() { NETSIM_CHECK_MSG(live_ == 0, "{} pooled objects still alive", live_); }

    template <typename... Args>
    T& create(Args&&... args) {
        if (free_ == nullptr) grow();
        Cell* cell = free_;
        free_ = cell->next_free;
        // Without arguments, default-initialised: `T()` would first zero the whole object (a
        // socket is some 400 bytes, inline buffers included) and then run its member
        // initialisers. A pooled type must therefore give every scalar member an initialiser.
        T* object;
        if constexpr (sizeof...(Args) == 0) object = ::new (static_cast<void*>(cell->storage)) T;
        else object = ::new (static_cast<void*>(cell->storage)) T(std::forward<Args>(args)...);
        ++live_;
        return *object;
    }
    // Destroys an object made by create().
    void destroy(T& object) {
        object.~T();
        // The object's storage is the start of its cell.
        Cell* cell = reinterpret_cast<Cell*>(reinterpret_cast<unsigned char*>(&object) - offsetof(Cell, storage));
        cell->next_free = free_;
        free_ = cell;
        --live_;
    }
    std::size_t live() const { return live_; }

private:
    union Cell {
        Cell* next_free;
        alignas(T) unsigned char storage[sizeof(T)];
    };

    void grow() {
        const std::size_t size = next_chunk_;
        next_chunk_ = std::min(MaxChunk, 2 * next_chunk_);
        chunks_.push_back(std::make_unique_for_overwrite<Cell[]>(size));
        Cell* chunk = chunks_.back().get();
        // Hand out the chunk's cells in address order (first created takes the first cell).
        for (std::size_t i = size; i-- > 0;) {
            chunk[i].next_free = free_;
            free_ = &chunk[i];
        }
    }

    std::vector<std::unique_ptr<Cell[]>> chunks_;
    Cell* free_ = nullptr;
    std::size_t next_chunk_ = 2;
    std::size_t live_ = 0;
};

}  // namespace netsim
