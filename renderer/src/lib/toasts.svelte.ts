// The toast stack's state: notices added by the views, counted when repeated and let go when they
// expire (rules in ./notices); errors are dropped when the user leaves the page they belong to.
import { describeError } from './errors';
import { addNotice, withoutErrors, withoutExpired, type Notice } from './notices';

export type Toast = Notice;

let nextId = 1;

class Toasts {
  items = $state<Toast[]>([]);
  private timer: ReturnType<typeof setInterval> | null = null;

  show(tone: Toast['tone'], title: string, detail: string | null = null): void {
    this.items = addNotice(this.items, { id: nextId++, tone, title, detail }, Date.now());
    this.timer ??= setInterval(() => this.expire(), 500);
  }

  error(context: string, error: unknown): void {
    const { what, todo } = describeError(error);
    this.show('error', `${context}: ${what}`, todo);
  }

  dismiss(id: number): void {
    this.items = this.items.filter((t) => t.id !== id);
  }

  /** The user went to another page: its errors no longer apply. */
  leavePage(): void {
    this.items = withoutErrors(this.items);
  }

  private expire(): void {
    const left = withoutExpired(this.items, Date.now());
    if (left.length !== this.items.length) this.items = left;
    if (left.length === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}

export const toasts = new Toasts();
