// The overview page (`/`): readiness of Berth's dependencies.
import type { Locator, Page } from '@playwright/test';
import { AppShell } from './app-shell';

export const DEPENDENCIES = [
  { id: 'postgres', label: 'Postgres' },
  { id: 'redis', label: 'Redis' },
  { id: 'worker', label: 'Worker' },
  { id: 'proxmox', label: 'Proxmox VE' },
] as const;

export type DependencyId = (typeof DEPENDENCIES)[number]['id'];

/** ISO 8601, UTC, with milliseconds: 2025-01-31T12:34:56.789Z */
export const CHECKED_AT_FORMAT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export class HomePage extends AppShell {
  readonly overall: Locator;
  readonly dependencyList: Locator;
  readonly checkedAt: Locator;
  readonly refreshButton: Locator;

  constructor(page: Page) {
    super(page);
    this.overall = page.getByTestId('readiness-overall');
    this.dependencyList = page.getByTestId('dependency-list');
    this.checkedAt = page.getByTestId('readiness-checked-at');
    this.refreshButton = page.getByTestId('refresh-readiness');
  }

  async goto(): Promise<void> {
    await this.page.goto('/');
  }

  dependency(id: DependencyId): Locator {
    return this.dependencyList.getByTestId(`dependency-${id}`);
  }
}
