/* contrib/thread_name.h: a thread's name as /proc shows it ("what" or
 * "what-N"), cut to the kernel's 15 characters. */
#include "testutil.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "contrib/thread_name.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t done = PTHREAD_COND_INITIALIZER;
static bool is_done;

/* waits until the test has named it and read the name back */
static void *idle_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    while (!is_done)
        pthread_cond_wait(&done, &lock);
    pthread_mutex_unlock(&lock);
    return NULL;
}

/* The name of thread t, as the kernel keeps it. */
static void name_of(pthread_t t, char out[16])
{
    assert_int_equal(pthread_getname_np(t, out, 16), 0);
}

static void names_as_proc_shows_them(void **state)
{
    (void)state;
    pthread_t t;
    is_done = false;
    assert_int_equal(pthread_create(&t, NULL, idle_main, NULL), 0);
    /* 15 characters at most: a kind is cut before its number, which stays */
    static const struct {
        const char *what;
        int index;
        const char *want;
    } cases[] = {
        {"epp-worker", 1, "epp-worker-1"},
        {"epp-log", -1, "epp-log"},
        {"a-very-long-thread-kind", 12, "a-very-long-12"},
        {"zone-publisher-and-more", -1, "zone-publisher-"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char name[16];
        thread_name(t, cases[i].what, cases[i].index);
        name_of(t, name);
        assert_string_equal(name, cases[i].want);
    }
    pthread_mutex_lock(&lock);
    is_done = true;
    pthread_cond_broadcast(&done);
    pthread_mutex_unlock(&lock);
    assert_int_equal(pthread_join(t, NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_as_proc_shows_them),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
