package io.neuralake.site;
