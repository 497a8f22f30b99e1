const required = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set: the integration global setup did not run`);
  return value;
};

export const testDatabaseUrl = (): string => required('TEST_DATABASE_URL');
export const testRedisUrl = (): string => required('TEST_REDIS_URL');
