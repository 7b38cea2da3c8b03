/**
 * The catalog's discovery side: {@link io.neuralake.site.CatalogExport}, the catalog as a versioned JSON document
 * with its JSON Schema, and {@link io.neuralake.site.SiteGenerator}, the static catalog site generated from that
 * document. Both read the catalog's code and its tables' metadata, never their rows.
 */
package io.neuralake.site;
