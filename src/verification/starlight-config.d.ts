// The part of Starlight's validated config (a virtual module Starlight's own components read)
// that the status page uses: the sidebar, whose order is the course's.
declare module 'virtual:starlight/user-config' {
  const config: { sidebar?: import('./status-rows.ts').SidebarItem[] };
  export default config;
}
