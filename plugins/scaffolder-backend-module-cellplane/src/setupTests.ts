// Each test writes real commits to a real bare repository and renders them; on a busy CI
// machine that can take longer than Jest's 5 s default.
jest.setTimeout(30_000);

export {};
