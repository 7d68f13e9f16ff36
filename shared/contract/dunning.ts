import { z } from 'zod';
import { call } from './define';

// Filled in by the dunning feature.
export const dunningCalls = {
  'dunning.count': call<{ open: number }>()(z.object({}).strict()),
};
