/**
 * @internal A first-in first-out queue with O(1) `shift` (an array and a head index; `Array#shift` is O(n)).
 * Slots may hold `undefined` (the confirm window leaves holes for out-of-order acks).
 */
export class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T | undefined): void {
    this.items.push(item);
  }

  peek(): T | undefined {
    return this.items[this.head];
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    // Compact now and then so the array does not grow for ever under a steady flow.
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** The item `index` places from the head. */
  at(index: number): T | undefined {
    return this.items[this.head + index];
  }

  set(index: number, item: T | undefined): void {
    this.items[this.head + index] = item;
  }

  /** Removes everything, in order. */
  drain(): (T | undefined)[] {
    const rest = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return rest;
  }

  /** Puts `items` in front of what is queued, in their order. */
  unshiftAll(items: readonly T[]): void {
    this.items = [...items, ...this.items.slice(this.head)];
    this.head = 0;
  }

  /** Keeps only the items `keep` accepts. */
  filter(keep: (item: T) => boolean): void {
    this.items = this.items.slice(this.head).filter((item) => item !== undefined && keep(item));
    this.head = 0;
  }
}
