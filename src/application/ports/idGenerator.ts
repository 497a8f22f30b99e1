export interface IdGenerator {
  /** A new, unique UUID. */
  next(): string;
}
