// Vite's client types: stylesheet imports (main.tsx imports the CSS entry).
/// <reference types="vite/client" />
