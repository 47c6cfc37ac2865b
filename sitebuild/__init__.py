"""Build machinery of the site: claims, build-time math, execution guards."""
