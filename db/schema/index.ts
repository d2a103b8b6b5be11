export * from "./customers";
export * from "./packages";
export * from "./billing";
export * from "./payments";
export * from "./auth";
