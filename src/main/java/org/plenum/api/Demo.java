package org.plenum.api;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.plenum.stage.Event;
import org.plenum.stage.PollKind;
import org.plenum.stage.PollSpec;
import org.plenum.stage.Stage;
import org.plenum.stage.StageSettings;

/**
 * A ready demo event, created on first start with --demo so the run command shows something live:
 * three stages, each with an open poll, a draft rating poll, an open word cloud, Q&amp;A and a short
 * programme (the first stage pre-moderates questions, so the moderator's approval queue can be tried).
 */
public final class Demo {
  private static final String[] STAGES = {"Hauptbühne", "Bühne 2", "Bühne 3"};

  private Demo() {}

  /** The demo event, created with three stages and an open poll each if no event exists yet. */
  public static Future<Event> ensure(Catalog catalog) {
    return catalog.engine().events().compose(events -> events.isEmpty()
        ? create(catalog)
        : Future.succeededFuture(events.get(0)));
  }

  private static Future<Event> create(Catalog catalog) {
    return catalog.createEvent("Demo-Kongress").compose(event -> {
      Future<Void> chain = Future.succeededFuture();
      for (String name : STAGES) {
        chain = chain.compose(v -> catalog.createStage(event.id(), name)).compose(stage -> polls(catalog, stage));
      }
      // the main stage pre-moderates questions, so the approval queue can be tried right away
      return chain.compose(v -> catalog.engine().stages(event.id()))
          .compose(stages -> catalog.changeSettings(stages.get(0).id(), s -> new StageSettings(true, true, false)))
          .map(event);
    });
  }

  private static Future<Void> polls(Catalog catalog, Stage stage) {
    List<Future<?>> created = new ArrayList<>();
    created.add(catalog.createPoll(stage.id(), new PollSpec(PollKind.SINGLE,
        "Nutzen Sie die eID-Funktion Ihres Personalausweises?", List.of("Ja, regelmäßig", "Selten", "Nie"),
        null, null, true, true)));
    created.add(catalog.createPoll(stage.id(), new PollSpec(PollKind.RATING,
        "Wie gefällt Ihnen der Vortrag bisher?", null, null, 5, true, false)));
    created.add(catalog.createCloud(stage.id(), "Was verbinden Sie mit digitaler Verwaltung?", 3, true, true));
    // a programme around now, so "current talk" shows on every page
    java.time.Instant start = org.plenum.stage.Times.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES).minus(java.time.Duration.ofMinutes(10));
    created.add(catalog.createTalk(stage.id(), new Catalog.TalkSpec("Digitale Souveränität in der Verwaltung",
        "Demo-Referentin", start, start.plus(java.time.Duration.ofMinutes(45)))));
    created.add(catalog.createTalk(stage.id(), new Catalog.TalkSpec("Podium: Open Source im Amt",
        "Demo-Podium", start.plus(java.time.Duration.ofMinutes(60)), start.plus(java.time.Duration.ofMinutes(105)))));
    return Future.all(created).mapEmpty();
  }
}
