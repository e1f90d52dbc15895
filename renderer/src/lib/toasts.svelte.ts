// Short notices in a corner: successes fade away, errors stay until dismissed (they say what to do).
import { describeError } from './errors';

export interface Toast {
  id: number;
  tone: 'info' | 'success' | 'error';
  title: string;
  detail: string | null;
}

let nextId = 1;

class Toasts {
  items = $state<Toast[]>([]);

  show(tone: Toast['tone'], title: string, detail: string | null = null): void {
    const toast = { id: nextId++, tone, title, detail };
    this.items = [...this.items.slice(-4), toast];
    if (tone !== 'error') setTimeout(() => this.dismiss(toast.id), 5000);
  }

  error(context: string, error: unknown): void {
    const { what, todo } = describeError(error);
    this.show('error', `${context}: ${what}`, todo);
  }

  dismiss(id: number): void {
    this.items = this.items.filter((t) => t.id !== id);
  }
}

export const toasts = new Toasts();
